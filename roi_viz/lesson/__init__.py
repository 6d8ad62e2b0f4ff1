"""What the lesson says: the words of each step and view, from a scene and the records' traits.

- ``words``: the text of each step, with the live numbers (RoI pooling's and the steps every method shares);
- ``sampling_words``: the text of the steps that read between cells (sampling points, bilinear weights, the integral);
- ``numbers``: numbers as a student writes them (one rule for words, figures and tables);
- ``shown``: what a figure and its words both need to agree (the zoom window, which values are printed);
- ``alt``: each step's text alternative and the numbers it carries;
- ``glossary``: every term the lesson uses, explained in one line;
- ``training``, ``proposals``: the words of what the gradient reaches and of every proposal;
- ``views``: the page's views, their labels and headings.
"""
