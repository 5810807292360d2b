// Placeholder until this target gets its first real file.
