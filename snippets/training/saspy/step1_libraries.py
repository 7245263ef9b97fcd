from pathlib import Path

import pandas as pd
import saspy

folder = Path.cwd()  # (1)!
sas = saspy.SASsession()  # (2)!
