"""One job system over many machines: the Job row is the truth, Celery carries ids."""
