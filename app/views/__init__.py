"""Views: pure functions from frames to Plotly figure dicts. They compute no metrics and call no model."""
