import torch

# f = w * x, trained so that f(x) = 3 * x
X = torch.tensor([1, 2, 3, 4, 5], dtype=torch.float32)
Y = torch.tensor([3, 6, 9, 12, 15], dtype=torch.float32)

w = torch.tensor(0.0, dtype=torch.float32, requires_grad=True)


def forward(x):
    return w * x


def loss(y, y_pred):
    return ((y_pred - y) ** 2).mean()


print(f'Prediction before training: f(6) = {forward(6).item():.3f}')

learning_rate = 0.02
n_iters = 20

for epoch in range(n_iters):
    y_pred = forward(X)
    l = loss(Y, y_pred)
    l.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
    w.grad.zero_()
    if epoch % 5 == 0:
        print(f'epoch {epoch + 1}: w = {w.item():.3f}, loss = {l.item():.8f}')

print(f'Prediction after training: f(6) = {forward(6).item():.3f}')
