"""Writing book folders: the starter book of 'make-book new' and the folder 'make-book import'
makes from a transcript. Beside the pipeline: what they write, the pipeline reads."""
