"""The real network and the real pictures.

- ``images``: decode any upload (EXIF, 16-bit, CMYK, alpha, GIF), resize, coordinate map;
- ``samples``: the photos shipped in ``assets/``;
- ``layers``: where VGG16 is cut and the stride that gives (no torch needed);
- ``vgg``: torchvision's VGG16 feature stack; ``weights``: finding its ImageNet weights;
- ``features``: the feature map of an image, and the one backbone per process;
- ``pyramid``: the second network, ResNet-50 with a feature pyramid (torchvision's Faster R-CNN
  backbone), its COCO weights found as VGG16's are, and its maps P2-P5 (not yet on the page).
"""
