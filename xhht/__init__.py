"""XHHT: the learning-society programme's reporting system."""
