"""A small mixed batch of texts (scams, marketing, ordinary chat) shared by the batch, scan and Ray tests, so
they all exercise the same kinds of message."""

MIXED_TEXTS = [
    "HMRC: you owe £1,284 in unpaid tax. Legal action starts today unless you call 0161 496 0188 now",
    "See you at 6 for dinner?",
    "Royal Mail: your parcel is held. Pay the £1.45 redelivery fee at royalmail-redelivery.com",
    "WIN a FREE iPhone! Text STOP to opt out. Reply YES to claim your prize now",
    "Your Amazon order 123-456 has shipped and will arrive tomorrow",
    "Mum I dropped my phone in the toilet, this is my new number, can you send £200 for rent?",
]
