"""Running a learner's real script in a child process and recording what torch did."""
