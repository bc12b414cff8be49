"""Draw: choose questions and lay them out for each output (selections, quiz versions, study guides)."""
