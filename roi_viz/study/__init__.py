"""What the methods are studied with, above their records and below the words.

- ``backward``: each method's backward pass, where its gradient lands;
- ``receptive``: what one cell sees, in theory from VGG16's layers and by a backward pass;
- ``head``: after pooling, VGG16's own classifier for every RoI;
- ``proposals``: every selective-search proposal through the methods' arithmetic at once.
"""
