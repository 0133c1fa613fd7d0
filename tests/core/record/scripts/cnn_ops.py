# Issue 22's ops in their F. and nn. forms, for the recorder's mapping: a conv without
# bias and one with a stride keyword, both pools, the four activations with their
# arguments, dropout (torch's rule: its mask is not recorded) and the softmax modules.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(2, 1, 6, 6)
conv = nn.Conv2d(1, 2, 3, padding=1, bias=False)
h = conv(x)
h2 = F.conv2d(x, conv.weight, stride=2)
a = nn.AvgPool2d(2)(h)
m = F.max_pool2d(h, 2, 2)
f = torch.flatten(a, 1) + nn.Flatten()(m)
y = nn.LeakyReLU(0.1)(f) + nn.ELU()(f) + nn.Softplus()(f) + nn.GELU()(f) + F.elu(f, 0.5)
y = y + F.gelu(f, approximate='tanh') + F.softplus(f, beta=2.0) + F.leaky_relu(f)
d = nn.Dropout(0.5)(y) + F.dropout(y, 0.2)
s = nn.Softmax(dim=1)(d) + nn.LogSoftmax(dim=1)(d) + torch.softmax(d, 1) + F.softmax(d, dim=-1)
loss = s.sum() + h2.sum()
loss.backward()
print(loss.item())
