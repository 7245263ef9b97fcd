from importlib.metadata import version
from pathlib import Path

libraries = ["numpy", "pandas", "scikit-learn", "skops"]  # (1)!
pins = "".join(f"{name}=={version(name)}\n" for name in libraries)
Path("penguin_model.requirements.txt").write_text(pins)  # (2)!
print(pins, end="")
#> numpy==2.4.6
#> pandas==3.1.1
#> scikit-learn==1.9.1
#> skops==0.16.0
