"""The tickets app's pages, one module per audience: submit (public form), requester (My tickets and email
links), queue, workspace (the ticket page) and reports (technicians)."""
