"""One pass through calls whose torch grad_fn depends on how they were written: .t() /
.T / .transpose / .mT, a number first (2 - x, 2 / x, 2 ** x), a reduction with and without
a dim, matmul by the operands' ranks, views. Each maps to a registry op whose entry names
that grad_fn (core.ops.grad_fn_of), so each is checked against torch."""

import torch

torch.manual_seed(0)
W = torch.randn(2, 3, requires_grad=True)
v = torch.randn(2, requires_grad=True)
x = torch.rand(3) + 0.5
x.requires_grad_(True)
terms = [
    (W.t() ** 2).sum(),
    (W.transpose(0, 1) * 2).sum(),
    (W.T - 1).sum(),
    (W.mT * 3).sum(),
    (2 / x).sum(),
    (2 ** x).sum(),
    (2 - x).sum(),
    (1 + x).sum(),
    (x / 2).sum(),
    W.sum(dim=0).sum(),
    W.mean(dim=1).sum(),
    W.max(),
    W.min(),
    torch.matmul(v, W).sum(),
    torch.matmul(W, x).sum(),
    (v @ v),
    torch.exp(-x).sum(),
    x.sqrt().sum(),
    x.log().sum(),
    torch.abs(v).sum(),
    torch.maximum(x, torch.ones(3)).sum(),
    W.max(dim=1).values.sum(),
    W.reshape(6).sum(),
    W.view(3, 2).sum(),
    W.unsqueeze(0).sum(),
    x.pow(3).sum(),
    x.neg().sum(),
]
loss = sum(terms)
loss.backward()
print(loss.item())
