import torch

print("before")
w = torch.tensor(1.0, requires_grad=True)
loss = (w * 3) ** 2
loss.backward()
raise ValueError("the script's own error")
