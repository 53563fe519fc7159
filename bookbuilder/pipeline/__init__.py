"""The pipeline: the only package that joins the stages (build.py: plan -> load -> make -> guard ->
stage). The catalogue (many books) and the live preview build through this public API alone;
scheduling.py is the one place for the build's processes."""

from .build import Output, build, check_book, chosen_formats, file_name, load, write_outputs
from .make import Made, Making, make_format, make_outputs
from .scheduling import by_edition, in_processes, layout_processes, usable_cores

__all__ = ["Made", "Making", "Output", "build", "check_book", "chosen_formats", "file_name", "in_processes", "layout_processes", "load",
           "make_format", "make_outputs", "by_edition", "usable_cores", "write_outputs"]
