import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
# A feed-forward net on scikit-learn's 8x8 handwritten digits (1797 images, no download):
# 64 pixels -> 32 hidden units (ReLU) -> 10 scores, trained in mini-batches with Adam.
input_size, hidden_size, num_classes = 64, 32, 10
batch_size, num_epochs, learning_rate = 200, 2, 0.01

digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data / 16.0, digits.target, test_size=0.25, random_state=0)
X_train = torch.tensor(X_train, dtype=torch.float32)
X_test = torch.tensor(X_test, dtype=torch.float32)
y_train = torch.tensor(y_train)
y_test = torch.tensor(y_test)


class NeuralNet(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.l1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.l2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out = self.l1(x)
        out = self.relu(out)
        out = self.l2(out)
        return out  # raw scores: CrossEntropyLoss applies the softmax itself


model = NeuralNet(input_size, hidden_size, num_classes)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

n_batches = (len(X_train) + batch_size - 1) // batch_size
for epoch in range(num_epochs):
    for i in range(n_batches):
        images = X_train[i * batch_size:(i + 1) * batch_size]
        labels = y_train[i * batch_size:(i + 1) * batch_size]

        outputs = model(images)
        loss = criterion(outputs, labels)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if (i + 1) % 3 == 0:
            print(f'epoch {epoch + 1}/{num_epochs}, batch {i + 1}/{n_batches}, '
                  f'loss = {loss.item():.4f}')

with torch.no_grad():
    outputs = model(X_test)
    _, predictions = torch.max(outputs, 1)  # the highest score's class, per image
    n_correct = (predictions == y_test).sum().item()
    print(f'accuracy on {len(y_test)} test images: {100.0 * n_correct / len(y_test):.1f} %')
