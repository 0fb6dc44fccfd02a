"""Qt-free Markdown for streamed answers: splitting finished blocks off and rendering them."""
