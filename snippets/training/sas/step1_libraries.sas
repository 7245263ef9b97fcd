options validvarname=any; /* (1)! */
%let dir = /home/jovyan/penguins; /* (2)! */
%let seed = 42; /* (3)! */

proc setinit; /* (4)! */
run;
