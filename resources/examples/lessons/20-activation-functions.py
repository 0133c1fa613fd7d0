import torch
import torch.nn as nn
import torch.nn.functional as F

# The activation functions a network puts between its layers, each applied to the same
# seven numbers. Nothing here asks for a gradient: the recording is forward only.
x = torch.tensor([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])

print('sigmoid   ', torch.sigmoid(x))        # squashes into (0, 1)
print('tanh      ', torch.tanh(x))           # squashes into (-1, 1), centred at 0
print('relu      ', torch.relu(x))           # keeps the positive part
print('leaky_relu', F.leaky_relu(x, 0.1))    # a small slope for negative inputs
print('softmax   ', torch.softmax(x, dim=0))  # probabilities that add up to 1

# the same functions as modules, the way a model's layers use them
layers = {
    'nn.Sigmoid': nn.Sigmoid(),
    'nn.Tanh': nn.Tanh(),
    'nn.ReLU': nn.ReLU(),
    'nn.LeakyReLU': nn.LeakyReLU(negative_slope=0.1),
    'nn.ELU': nn.ELU(),
    'nn.Softplus': nn.Softplus(),
    'nn.GELU': nn.GELU(),
    'nn.Softmax': nn.Softmax(dim=0),
}
for name, layer in layers.items():
    y = layer(x)
    print(f'{name:13}', [round(v, 3) for v in y.tolist()])
