"""Trainable text classifiers: data loading, features, training, prediction, evaluation."""
