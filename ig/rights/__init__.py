"""Information rights: data protection rights requests, complaints, FOI and EIR."""
