"""Ninja mode on a recorded pass (tests/core/record/test_ninja_run.py): a bias that
broadcasts, a relu mask, a square."""

import torch

X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
y = torch.tensor([[0.0], [0.0], [3.0]])
W = torch.tensor([[0.5], [-0.25]], requires_grad=True)
b = torch.tensor([0.1], requires_grad=True)
h = X @ W + b
r = torch.relu(h - y)
loss = ((r - 1.0) ** 2).mean()
loss.backward()
