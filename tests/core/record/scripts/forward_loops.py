import torch


def double_twice(x):
    for _ in range(2):  # a loop in a function the outer loop calls: not a group of its own
        x = x * 2
    return x


x = torch.tensor([1.0, -2.0])
h = x + 1
for epoch in range(3):
    y = double_twice(h) - epoch
    print(y.sum().item())
    if epoch == 1:
        break
z = torch.relu(y)
print(z)
