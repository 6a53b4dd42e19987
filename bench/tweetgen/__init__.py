"""The tweet generator behind gen_tweets.py, one module per kind of thing."""
