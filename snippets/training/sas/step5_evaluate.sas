proc hp4score data=work.test; /* (1)! */
  id _all_;
  score file="&dir/penguin_forest.bin" out=work.test_scored;
run;

data work.test_scored;
  set work.test_scored;
  correct = (upcase(species) = upcase(strip(I_species))); /* (2)! */
run;

proc means data=work.test_scored mean maxdec=3; /* (3)! */
  var correct;
run;

proc freq data=work.test_scored; /* (4)! */
  tables species * I_species / nopercent;
run;
