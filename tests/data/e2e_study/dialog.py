# Fictional dialogues for the end-to-end study. (speaker, text); speaker "I" = interviewer, "P" = participant, "N" = note-taker
D = {}
D["P01"] = [  # Otter, officer rural, Speaker 1 / Speaker 2
    ("I", "Okay, I think it's recording now. Thanks for doing this. Can you tell me a bit about your role?"),
    (
        "P",
        "Yeah. I'm a deputy with [AGENCY], going on twelve years. We cover the east side of [COUNTY], which is a lot of ground and not a lot of people. Most nights it's two of us out there.",
    ),
    ("I", "How often do you end up on a call where somebody's in a mental health crisis?"),
    (
        "P",
        "More than people think. It doesn't come in as a mental health call. It comes in as a disturbance or a welfare check. You show up and it's somebody who hasn't slept in days and thinks the neighbors are poisoning the well.",
    ),
    ("I", "And when you get there, what are your options?"),
    (
        "P",
        "Honestly, not many. The crisis unit is an hour and forty minutes away. If he's been drinking at all, they won't take him. They tell you to get him medically cleared first, which means the ER, which means I'm sitting in a hallway for six hours.",
    ),
    (
        "P",
        "And while I'm sitting there, the other deputy is covering the whole east side by himself. That's the part nobody sees.",
    ),
    ("I", "Have you ever worked with a co-responder or a mobile crisis team?"),
    (
        "P",
        "We had a mobile crisis line for a while, but they'd say they were ninety minutes out. By then it's over one way or the other. I'd love a clinician in the car, I really would, but out here I don't see it happening.",
    ),
    ("I", "What happens to the people after the call?"),
    (
        "P",
        "Most of the time nothing. They get released from the ER the next morning, nobody follows up, and two weeks later I'm back at the same house. Same guy, same kitchen.",
    ),
    ("I", "Thank you, that's really helpful."),
    ("P", "Sure."),
]
D["P02"] = [  # Otter named, provider urban
    ("I", "Thanks for meeting with me. Could you start by describing where you work?"),
    (
        "P",
        "Sure. I'm a clinician at the crisis stabilization unit downtown. We have sixteen beds, we take walk-ins and drop-offs from police and from the mobile team, twenty-four seven.",
    ),
    ("I", "What are your admission criteria?"),
    (
        "P",
        "The big ones are medical stability and safety. If someone is intoxicated above a certain level, we can't manage withdrawal safely, so they go to the ER first. If someone is actively violent, or has a pending violent charge, we usually decline, because we're an unlocked unit.",
    ),
    ("I", "How do officers react when you decline someone?"),
    (
        "P",
        "They're frustrated, and I get it. From their side, they drove someone here and we said no. From our side, we're protecting the other fifteen people on the unit. We've started calling back the officer's sergeant to explain, which has helped a little.",
    ),
    ("I", "Do you see the same people coming back?"),
    (
        "P",
        "All the time. Our discharge planning is decent, but the outpatient appointments are three, four weeks out. People fall through that gap, and then they're back with us, or they're in jail.",
    ),
    ("I", "What would you change if you could?"),
    (
        "P",
        "A step-down option. Somewhere between us and home. And more peer specialists, honestly, they do follow-up better than any of us clinicians.",
    ),
]
D["P03"] = [  # Zoom vtt, officer urban; co-interviewer note-taker
    ("I", "All right, we're recording. Can you tell me about your assignment?"),
    (
        "P",
        "Sure. I'm a patrol officer in [AGENCY], I've been CIT trained for about five years. I'm also on our co-responder team two days a week.",
    ),
    ("N", "Sorry, can you say that again, how many days?"),
    ("P", "Two days a week. The other three I'm on regular patrol."),
    ("I", "What does a co-responder shift look like?"),
    (
        "P",
        "I ride with a clinician from the county. We take the calls dispatch flags as behavioral health. She does the talking most of the time, and I'm there for scene safety. A lot of those calls end with nobody in handcuffs and nobody in the ER, which is the whole point.",
    ),
    ("I", "How do other officers feel about the program?"),
    (
        "P",
        "It's mixed. Some of the older guys think it's social work and not our job. But once they've seen the clinician talk somebody down in ten minutes, they start calling for us. I'd say it's gotten better every year.",
    ),
    ("I", "Are there calls where the co-responder model doesn't fit?"),
    (
        "P",
        "If there's a weapon, or somebody's barricaded, that's SWAT and negotiators, not us. And domestic calls are tricky, because there's a victim in the house too.",
    ),
    ("I", "Thank you."),
]
D["P04"] = [  # Zoom vtt, provider rural
    ("I", "Thanks for joining. Could you describe your role?"),
    (
        "P",
        "I'm a mobile crisis clinician for a three-county region. It's me and two other clinicians covering about four thousand square miles.",
    ),
    ("I", "How does that work with law enforcement?"),
    (
        "P",
        "Mostly by phone. The deputy calls dispatch, dispatch calls us, and we try to do a telehealth assessment on the deputy's tablet. It's not perfect, the signal drops out in half the county, but it beats a three-hour drive.",
    ),
    ("I", "What about the crisis unit?"),
    (
        "P",
        "The nearest one is two counties over. They have eight beds and they're full most nights. So a lot of people end up in the ER, or the deputy takes them home and hopes for the best.",
    ),
    ("I", "And follow-up after a crisis?"),
    (
        "P",
        "We try to call everyone within forty-eight hours. Sometimes we drive out for a home visit. But the outpatient clinic has a six-week wait, so our follow-up is really just keeping people alive until then.",
    ),
    ("I", "Anything else you'd like to add?"),
    (
        "P",
        "Just that rural isn't a smaller version of urban. It's a different problem. Distance is the problem.",
    ),
]
D["P05"] = [  # Teams vtt, officer urban, <v Surname, First>
    ("I", "Okay, the transcription is on. Thanks for joining. Can you tell me about your role?"),
    ("P", "I'm a sergeant in [AGENCY]. I supervise an evening squad, eight officers."),
    ("P", "I've been on the job about fifteen years."),
    ("I", "How have crisis calls changed over that time?"),
    (
        "P",
        "Volume is way up. We used to have one or two a shift, now it's five or six. And we've got a crisis unit now, which we didn't have ten years ago. That's been a real change.",
    ),
    ("I", "How is it working with the crisis unit?"),
    (
        "P",
        "Better than the ER. The drop-off takes twenty minutes instead of five hours. But they still turn people away if they're intoxicated, and then we're back at the ER anyway.",
    ),
    ("I", "What about burnout among your officers?"),
    (
        "P",
        "It's real. My guys see a lot. We have a peer support team, and I'm one of the coordinators, but people don't use it until they're already in trouble.",
    ),
    ("I", "Thank you, that's all my questions."),
]
D["P06"] = [  # Rev docx, provider urban co-responder
    ("I", "Could you start by telling me what you do?"),
    (
        "P",
        "I'm a licensed clinical social worker on the co-responder team. I ride with an officer four shifts a week.",
    ),
    ("I", "What's the hardest part of the work?"),
    (
        "P",
        "Honestly, it's what happens after. We can de-escalate a call, we can get someone to the crisis unit, but the unit discharges in three to five days and then there's nothing. No housing, no appointment for a month.",
    ),
    ("I", "Do you see homelessness on a lot of calls?"),
    (
        "P",
        "Most of them, downtown. People living in their cars, in the park. A crisis unit can't fix that, and neither can a police officer.",
    ),
    ("I", "How do you and your officer partner divide the work?"),
    (
        "P",
        "He checks the scene first. Once it's safe, I take the lead. We've gotten good at reading each other. I trust him completely, and I think that shows on calls.",
    ),
]
D["P07"] = [  # plain txt Interviewer / P07
    ("I", "Thanks for making the time. Can you tell me about your department?"),
    ("P", "Small town department, [AGENCY]. Nine sworn officers, and I'm the chief, so I still take calls."),
    ("I", "What happens when someone is in crisis at two in the morning?"),
    (
        "P",
        "We call the crisis line, and they tell us the nearest bed is in the city, two hours away. If the person is violent or has any charge, the crisis unit won't take them, so it's jail or the ER. Usually jail, honestly, because the ER won't keep them.",
    ),
    ("I", "How do you feel about that?"),
    (
        "P",
        "Terrible. Jail is not the place for someone who's hearing voices. But I don't have another option, and I can't leave one officer covering the whole town for six hours while I drive.",
    ),
    ("I", "Would a co-responder program help?"),
    (
        "P",
        "For us? Maybe a shared clinician with the county. But I've been asking for three years. There's no money, and no clinicians who want to live out here.",
    ),
]
D["P08"] = [  # Markdown front matter, provider rural CSU manager
    ("I", "Could you describe the unit you manage?"),
    (
        "P",
        "It's a twelve-bed crisis stabilization unit that serves five rural counties. We're the only one in the region.",
    ),
    ("I", "How do you decide who to admit?"),
    (
        "P",
        "We look at medical stability, intoxication, and violence risk. We've loosened the intoxication rule in the last year: we now take people with a blood alcohol level under a set threshold, because otherwise deputies were spending the whole night in the ER.",
    ),
    ("I", "Has that changed how law enforcement uses the unit?"),
    (
        "P",
        "Yes. Drop-offs by deputies went up a lot. The deputies tell us it's the first time the crisis unit has felt like a real option.",
    ),
    ("I", "What's still missing?"),
    (
        "P",
        "Transport. A deputy shouldn't have to drive two hours each way. We're trying to get a secure transport contract, and we want telehealth in every patrol car.",
    ),
]
