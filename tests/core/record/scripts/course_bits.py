import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.tensor(np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], dtype=np.float32))
softmax = nn.Softmax(dim=1)
print(softmax(x))
w = torch.randn(3, 2, requires_grad=True)
y = (x @ w).pow(2)
print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
values, predicted = torch.max(y, 1)
print(values, predicted)
loss = values.mean()
loss.backward()
print(loss, w.grad)
