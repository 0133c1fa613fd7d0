import time

import torch

x = torch.tensor([1.0, -2.0])
for k in range(5):
    print(torch.relu(x * k).sum().item(), flush=True)
while True:
    time.sleep(0.05)
