import pandas as pd
import saspy

sas = saspy.SASsession()  # (1)!
sas.submit("options validvarname=any;")  # (2)!
