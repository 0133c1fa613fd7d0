import torch
import torch.nn as nn
from sklearn.datasets import load_digits

torch.manual_seed(0)
# A small convolutional network on scikit-learn's 8x8 handwritten digits (no download).
# One 3x3 convolution with 4 kernels finds strokes, ReLU keeps the strong responses,
# 2x2 max-pooling keeps the largest of each window, and a linear layer reads the
# 4 pooled 4x4 maps to score the ten digits. Plain SGD, a few steps on 128 images.
digits = load_digits()
X = torch.tensor(digits.images[:128] / 16.0, dtype=torch.float32).unsqueeze(1)  # 128x1x8x8
Y = torch.tensor(digits.target[:128])

model = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, padding=1),  # 128x4x8x8
    nn.ReLU(),
    nn.MaxPool2d(2),                            # 128x4x4x4
    nn.Flatten(),                               # 128x64
    nn.Linear(64, 10),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

for step in range(8):
    scores = model(X)
    loss = criterion(scores, Y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f'step {step + 1}: loss = {loss.item():.4f}')

accuracy = (model(X).argmax(dim=1) == Y).float().mean()
print(f'accuracy on these 128 images: {accuracy.item():.2f}')
