import numpy as np
import torch
import torch.nn as nn
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0)
# Logistic regression on scikit-learn's breast-cancer data (569 samples, 30 features,
# no download): one nn.Linear layer and a sigmoid give the probability of "benign".
data = datasets.load_breast_cancer()
X, y = data.data, data.target
n_samples, n_features = X.shape

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)

# scale each feature to mean 0 and standard deviation 1, using the training set's numbers
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

X_train = torch.from_numpy(X_train.astype(np.float32))
X_test = torch.from_numpy(X_test.astype(np.float32))
y_train = torch.from_numpy(y_train.astype(np.float32)).view(-1, 1)
y_test = torch.from_numpy(y_test.astype(np.float32)).view(-1, 1)


class LogisticRegression(nn.Module):
    def __init__(self, n_inputs):
        super().__init__()
        self.linear = nn.Linear(n_inputs, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression(n_features)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

for epoch in range(20):
    y_predicted = model(X_train)
    loss = criterion(y_predicted, y_train)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if (epoch + 1) % 5 == 0:
        print(f'epoch {epoch + 1}: loss = {loss.item():.4f}')

with torch.no_grad():
    y_predicted_classes = model(X_test).round()
    accuracy = y_predicted_classes.eq(y_test).sum() / float(y_test.shape[0])
    print(f'accuracy on the test set: {accuracy.item():.4f}')
