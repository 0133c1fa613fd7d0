import torch

# Linear regression by hand: f = w * x, the gradient worked out on paper.
# loss = mean((w * x - y) ** 2), so d loss / d w = mean(2 * x * (w * x - y)).
X = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
Y = torch.tensor([3.0, 6.0, 9.0, 12.0, 15.0])
w = 0.0


def forward(x):
    return w * x


def loss(y, y_pred):
    return ((y_pred - y) ** 2).mean()


def gradient(x, y, y_pred):
    return (2 * x * (y_pred - y)).mean()


learning_rate = 0.02
for epoch in range(20):
    y_pred = forward(X)
    l = loss(Y, y_pred)
    dw = gradient(X, Y, y_pred)
    w = w - learning_rate * dw.item()
    if epoch % 4 == 0:
        print(f'epoch {epoch + 1}: w = {w:.3f}, loss = {l.item():.8f}')

print(f'Prediction after training: f(6) = {forward(6):.3f}')
