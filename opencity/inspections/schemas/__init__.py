"""JSON shapes of the inspections API: the methodology and the calculation (methodology.py), the
plans, acts and work items (acts.py), and the answers built for them (output.py)."""
