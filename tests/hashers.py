from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2Hasher(Argon2PasswordHasher):
    """Argon2id at minimum cost, for tests only."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
