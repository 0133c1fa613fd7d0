import torch
import torch.nn as nn

torch.manual_seed(3)
# f = 2 * x + 1, learned by nn.Linear with a loss object and an optimizer
X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
Y = torch.tensor([[3.0], [5.0], [7.0], [9.0]])
n_samples, n_features = X.shape

model = nn.Linear(n_features, 1)
print(f'initial: w = {model.weight[0][0].item():.4f}, b = {model.bias.item():.4f}')

learning_rate = 0.05
n_iters = 100
loss = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

for epoch in range(n_iters):
    y_predicted = model(X)
    l = loss(Y, y_predicted)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 20 == 0:
        [w, b] = model.parameters()
        print(f'epoch {epoch + 1}: w = {w[0][0].item():.3f}, loss = {l:.8f}')

print(f'Prediction after training: f(5) = {model(torch.tensor([5.0])).item():.3f}')
