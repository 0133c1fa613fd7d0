# nn.Dropout after a ReLU: where the ReLU gave 0 the output says nothing of the mask, so
# the recorder keeps the mask where torch draws it.
import torch
import torch.nn as nn

torch.manual_seed(5)
w = torch.tensor([[0.0, 1.0, -2.0, 3.0], [0.0, 0.5, 4.0, -1.0]], requires_grad=True)
drop = nn.Dropout(p=0.5)
h = drop(torch.relu(w))
loss = (h * torch.arange(8.0).view(2, 4)).sum()
loss.backward()
print(h)
print(w.grad)
