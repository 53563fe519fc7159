"""Stage 1, the manuscript: book.toml and the chapters -> the Book model (config, text checks,
Markdown, sanitising, typography). The only reader of the manuscript; errors carry file:line."""
