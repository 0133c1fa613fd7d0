import numpy as np
import torch
import torch.nn as nn

# Softmax turns a row of scores into probabilities: exponentiate, then divide by the sum.
# Cross-entropy is minus the log of the probability given to the right class.
# First by hand in numpy, then with torch, then as the modules a model would use.


def softmax(scores):
    e = np.exp(scores - np.max(scores))  # shifting by the max changes nothing but overflow
    return e / e.sum()


def cross_entropy(target_one_hot, probabilities):
    return -np.sum(target_one_hot * np.log(probabilities))


scores = np.array([2.0, 1.0, 0.1])
p = softmax(scores)
print('numpy softmax:', np.round(p, 4))
print('numpy cross-entropy, right class 0:', round(cross_entropy(np.array([1, 0, 0]), p), 4))
print('numpy cross-entropy, right class 2:', round(cross_entropy(np.array([0, 0, 1]), p), 4))

x = torch.tensor([2.0, 1.0, 0.1])
print('torch.softmax:', torch.softmax(x, dim=0))

# a batch of three samples, three classes each: nn.Softmax works along dim 1
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [0.1, 0.2, 3.0]], requires_grad=True)
print('nn.Softmax(dim=1):', nn.Softmax(dim=1)(logits))

# nn.CrossEntropyLoss takes the raw scores (it applies log-softmax itself) and class numbers
targets = torch.tensor([0, 1, 2])
criterion = nn.CrossEntropyLoss()
loss = criterion(logits, targets)
print(f'loss with good scores: {loss.item():.4f}')
worse = torch.tensor([[0.1, 1.0, 2.0], [2.5, 0.5, 0.3], [3.0, 0.2, 0.1]])
print(f'loss with poor scores: {criterion(worse, targets).item():.4f}')

# one backward pass: the gradient of the mean cross-entropy is (softmax - one-hot) / batch
loss.backward()
print('gradient of the scores:', logits.grad)
