proc import datafile="&dir/penguins_raw.csv" out=work.penguins_raw dbms=csv replace; /* (1)! */
  guessingrows=max;
run;

data work.penguins;
  length species $ 9 island $ 9 sex $ 7; /* (2)! */
  set work.penguins_raw(rename=(
    Species = species_full
    Island = island_raw
    Sex = sex_raw
    'Culmen Length (mm)'n = culmen_length_mm
    'Culmen Depth (mm)'n = culmen_depth_mm
    'Flipper Length (mm)'n = flipper_length_mm
    'Body Mass (g)'n = body_mass_g
    'Date Egg'n = date_egg
  ));
  species = scan(species_full, 1, ' '); /* (3)! */
  island = island_raw;
  sex = lowcase(sex_raw);
  if missing(sex) then sex = 'unknown'; /* (4)! */
  if n(culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g) = 0
    then delete; /* (5)! */
  format date_egg yymmdd10.;
  keep species island sex culmen_length_mm culmen_depth_mm flipper_length_mm
    body_mass_g date_egg;
run;

proc sort data=work.penguins nodupkey; /* (6)! */
  by _all_;
run;

proc means data=work.penguins n nmiss;
  var culmen_length_mm culmen_depth_mm flipper_length_mm body_mass_g;
run;

proc freq data=work.penguins;
  tables species sex date_egg;
  format date_egg year4.; /* (7)! */
run;
