proc hpforest data=work.train maxtrees=100 seed=&seed; /* (1)! */
  target species / level=nominal;
  input culmen_length_mm culmen_depth_mm flipper_length_mm body_mass_g
    / level=interval;
  input island sex / level=nominal;
  ods output FitStatistics=work.fit_statistics; /* (2)! */
  save file="&dir/penguin_forest.bin"; /* (3)! */
run;

proc print data=work.fit_statistics(where=(NTrees=100)) noobs; /* (4)! */
run;
