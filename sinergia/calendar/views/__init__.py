"""Calendar pages: browsing, feeds and embedding, the editor with its clash check, the finder, imports."""
