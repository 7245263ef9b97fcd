proc hpsplit data=work.train seed=&seed; /* (1)! */
  class species island sex;
  model species = culmen_length_mm culmen_depth_mm flipper_length_mm body_mass_g
    island sex;
  code file="&dir/penguin_tree.sas"; /* (2)! */
run;

data work.test_tree; /* (3)! */
  set work.test;
  %include "&dir/penguin_tree.sas";
  length predicted $ 9;
  if P_speciesAdelie >= max(P_speciesChinstrap, P_speciesGentoo) then predicted = 'Adelie';
  else if P_speciesChinstrap >= P_speciesGentoo then predicted = 'Chinstrap';
  else predicted = 'Gentoo';
  correct = (predicted = species);
run;

proc means data=work.test_tree mean maxdec=3; /* (4)! */
  var correct;
run;
