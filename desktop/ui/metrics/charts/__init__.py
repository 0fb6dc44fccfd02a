"""pyqtgraph charts of stream timelines; each redraws only when its data changed."""
