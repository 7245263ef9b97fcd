options validvarname=any; /* (1)! */
%let seed = 42; /* (2)! */

proc setinit; /* (3)! */
run;
