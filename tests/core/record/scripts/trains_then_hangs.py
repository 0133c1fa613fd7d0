import time

import torch

# Six SGD passes, then the script never ends: Stop or the time limit ends it.
x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.05)
for _ in range(6):
    optimizer.zero_grad()
    loss = ((w * x - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    print(f"{loss.item():.6f}", flush=True)
while True:
    time.sleep(0.05)
