from dastan.dubbing.tests.conftest import member, published_film, studio

__all__ = ["member", "published_film", "studio"]
