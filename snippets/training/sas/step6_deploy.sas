%let dir = /home/jovyan/penguins; /* (1)! */

proc import datafile="&dir/new_penguins.csv" out=work.new_raw dbms=csv replace;
  guessingrows=max;
run;

data work.new_penguins;
  length island $ 9 sex $ 7; /* (2)! */
  set work.new_raw(rename=(island = island_raw sex = sex_raw));
  island = island_raw;
  sex = lowcase(sex_raw);
  if missing(sex) then sex = 'unknown';
  drop island_raw sex_raw;
run;

proc hp4score data=work.new_penguins; /* (3)! */
  id _all_;
  score file="&dir/penguin_forest.bin" out=work.new_scored;
run;

proc print data=work.new_scored noobs;
run;
