"""What township staff do in the field: patrols of hazard points (巡查), photos, and their township's lists."""
