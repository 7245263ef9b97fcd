proc sort data=work.penguins; /* (1)! */
  by species;
run;

proc surveyselect data=work.penguins out=work.penguins_split
    method=srs samprate=0.75 seed=&seed outall; /* (2)! */
  strata species;
run;

data work.train work.test;
  set work.penguins_split;
  if selected = 1 then output work.train;
  else output work.test;
run;

proc freq data=work.penguins_split;
  tables species * selected / nopercent nocol;
run;
