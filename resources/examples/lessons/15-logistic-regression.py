import torch
import torch.nn.functional as F

# Logistic regression on one feature: p = sigmoid(w * x + b), binary cross-entropy.
# Hours studied, and whether the exam was passed.
X = torch.tensor([0.5, 1.0, 1.5, 2.0, 3.0, 3.5, 4.0, 5.0])
Y = torch.tensor([0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0])
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)


def predict(x):
    return torch.sigmoid(w * x + b)


learning_rate = 0.5
for epoch in range(50):
    p = predict(X)
    l = F.binary_cross_entropy(p, Y)
    l.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if (epoch + 1) % 10 == 0:
        print(f'epoch {epoch + 1}: w = {w.item():.4f}, b = {b.item():.4f}, loss = {l.item():.6f}')

with torch.no_grad():
    predicted = predict(X).round()
    accuracy = predicted.eq(Y).sum() / float(Y.shape[0])
    print(f'accuracy = {accuracy.item():.4f}')
