# Ordinary work that ends normally: prints, a module beside the script, the cwd.
import os

import helper_module

values = [helper_module.double(i) for i in range(5)]
print(values)
print(os.path.basename(os.getcwd()))
print(sum(v * v for v in values))
