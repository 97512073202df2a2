// The Runner module; see Package.swift for its place in the data path.
