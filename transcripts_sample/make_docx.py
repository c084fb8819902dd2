"""Regenerate the .docx sample transcripts (fictional interviews) in this folder.

Run from anywhere:  /work/venv/bin/python transcripts_sample/make_docx.py

P05.docx: one paragraph per speaker turn, with `Label:` prefixes; continuation
paragraphs of a long answer carry no label.
P08.docx: a two-column table, speaker | text; a long answer keeps several
paragraphs inside one cell.
All content is fictional and written for demonstration and tests.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABEL = re.compile(r"^([A-Za-z0-9 ]+): (.*)$", re.S)

P05 = """\
Interviewer: Okay, I've started the recording. Could you tell me about your role?

P05: Sure. I'm a co-responder clinician. I'm a licensed professional counselor, and I'm employed by [AGENCY], the county behavioral health authority, but I'm embedded with the police department. So I ride with an officer, we're a two-person team, and we respond to calls that have a behavioral health component. I've been doing this for about four years, and before that I did crisis work in an emergency department.

Interviewer: How does a call get to you?

P05: A few ways. Dispatch can assign us directly if the call comes in as a mental health call. Officers on scene can request us. And we also, um, we self-dispatch a lot. We listen to the radio and if something sounds like it's in our lane, we'll just go. Over time officers have learned to ask for us more. At the beginning, nobody asked. [laughs]

Interviewer: Tell me about that beginning.

P05: Oh, gosh. So, um, when the program started there were two of us, and I think the officers didn't know what to do with us. There was definitely some, "who's the social worker in the car," some eye-rolling. I had one officer tell me, pretty directly, that he thought this was a waste of money that should've gone to hiring more officers. And another one who wouldn't let me get out of the car on the first few calls, because he was worried about my safety, which, I understand, but it also meant I couldn't do my job.

And what changed it, I think, was just calls. Doing the work in front of them. There was a call, early on, a young woman on a bridge. And the officers had been there for a while, and she wasn't talking to them. And I was able to talk with her, and it took a long time, but she came off the bridge and she agreed to go to the crisis unit voluntarily. And the sergeant on that call, who'd been one of the skeptics, came up to me afterward and just said, okay. [laughs] Just, okay. And after that he'd request us all the time.

Interviewer: So you'd say attitudes changed over time.

P05: Definitely. Now I'd say most of the officers I work with are really supportive. Not everyone. There are still a few who feel like we slow things down, or they don't like that I'll sometimes disagree with them about whether someone needs a hold. But the majority, they see us as a resource. They'll call me on my cell, well, the work cell, to ask about somebody they saw on a previous shift. That's a huge shift from where we started.

Interviewer: What does a typical shift look like?

P05: We're on ten-hour shifts, um, mostly afternoons into evening, because that's when the call volume is highest. We might do, on a busy day, eight or nine calls. A lot of them are welfare checks, suicidal statements, family conflict where someone has a mental illness. We do a lot with people experiencing homelessness. And then there's follow-up. That's actually a big part of what we do, and I think it's the part people don't see.

Interviewer: Tell me about the follow-up.

P05: So, after we see someone, if they're not taken anywhere, or even if they are, we try to follow up within a couple of days. Sometimes that's a phone call. A lot of the time it's going to their home, or to the camp, or wherever they are. And we're checking, did you connect with the clinic, do you need a ride, did you get your prescription. We keep a list of what we call our frequent contacts, people who've had three or more police contacts in a month, and we do outreach to them even when there's no call. Proactive.

And I really believe that's what reduces the repeat calls. Because the crisis is just the moment when everything finally broke. The things that broke it are still there after we leave. If nobody goes back, the officer's going to be back at that door next week.

Interviewer: Have you seen that make a difference for particular people?

P05: Yes. There's one man I'm thinking of, he was calling 911 almost daily. Like, daily. He was lonely, he had a lot of anxiety, he'd call and say he was having a heart attack, or that someone was outside his apartment. Every call, an ambulance and an officer. So we started visiting him once a week, and we got him connected with a case manager and a peer support group. And the calls dropped to, I think, one or two a month. That's a huge amount of police and EMS time saved. And he's doing better. That's the part I care about.

Interviewer: Let's talk about the kinds of calls you said are a big part of your work. You mentioned homelessness.

P05: Yeah. So, um, a big portion of our contacts are with people who are unhoused. And the challenge is, a lot of those calls aren't really crisis calls. They're someone's sleeping in a doorway and a business called. Or there's a camp and neighbors are upset. And if it's just an officer, the options are basically, move along, or a trespass citation, or arrest. With us there, we can offer something. A shelter bed, if there is one. A ride to the day center. A connection to the outreach team.

But honestly, the resources aren't there. Shelter beds are full most nights. Some shelters won't take people who are intoxicated, or who have a pet, or a partner. The housing waitlist is years. So sometimes I'm standing there with nothing to offer except a sandwich and a list of phone numbers. And the person knows it. [pause] That's hard.

Interviewer: You also mentioned domestic violence.

P05: Yes. That's one of the areas where I think co-response has a lot of potential that isn't tapped. So we do respond to some domestic calls, usually when there's a known mental health piece. And, um, what I see is that the officer's focus is, understandably, on safety and on the criminal part: is there probable cause, does someone need to be arrested. And that's important. But the victim often needs so much more in that moment. Safety planning, information about protective orders, somebody to explain what happens next, a warm handoff to an advocate.

We have a partnership with the domestic violence agency, and they have advocates who can come to the scene, in theory. In practice, they have two advocates on call for the whole county at night. So if I'm there, I'll often do the first part of that conversation myself, and then make sure the advocate follows up the next morning.

Interviewer: What about sexual violence? Does that come up?

P05: It does, less often, but it does. Sometimes a mental health call turns out to be, um, the person is in crisis because of a recent assault. And those are really delicate. The officer has to think about evidence and the investigation, and the person needs to feel safe and in control. And I've seen officers, good officers, push too hard for a statement because they're trying to do their job, and the person shuts down. Having a clinician or an advocate there to slow things down, to explain the options, including the option to get a medical exam without reporting to police right away, that matters.

I think if you built a civilian response team specifically for those calls, with victim advocates and clinicians, and the officers came in for the investigative part, it would serve people much better. There are some cities doing that. We're not there.

Interviewer: When you take someone to the crisis stabilization unit, how does that go?

P05: Mostly smoothly, actually, because I know the unit well and I know what they'll accept. So I'll call ahead and I can give them a clinical picture, which makes a difference. Where it falls apart is, um, intoxication and violence. If someone's very intoxicated, the unit will say they need medical clearance. If someone's been assaultive, even in the context of psychosis, the unit may say they can't safely admit them.

And then we're stuck. I've had calls where I was really sure the person needed psychiatric care, and the only options left were the ER, which was boarding people for days, or jail. And the officer, you know, he's looking at me, like, what do you want me to do. And sometimes I don't have an answer. Those calls, a couple of them ended in an arrest, and I still think about them.

Interviewer: How do you and the officer work out disagreements on scene?

P05: [laughs] Carefully. So the officer has the final say on safety. That's clear, and I respect it. If he says we're not going in yet, we're not going in. On the clinical side, we talk. Sometimes the officer wants to do a hold and I think the person can be safety planned, or the other way around. The partners I work with regularly, we've built enough trust that we can have that conversation quickly, sometimes with a look. With officers who don't know me, it can be harder. [crosstalk]

Interviewer: Sorry, go on.

P05: No, I was just going to say, consistency of partners matters a lot. When they rotate the officer every month, you're starting over.

Interviewer: That's helpful. How is this work on you personally?

P05: Um. [pause] It's heavy. I won't pretend otherwise. We see people on the worst day of their lives, and we see a lot of trauma, kids in homes where there's violence, people who've been assaulted, suicides. I've been on scene after a suicide, with the family. That stays with you. Our agency has a clinical supervisor and I do my own therapy, which I'd recommend to everyone in this field. [laughs]

What I've noticed is that the officers carry it too, but they have fewer outlets. The culture is different. After a really bad call, I'll sometimes check in with my partner and he'll say he's fine, and then, like, two weeks later he'll bring it up in the car. So I think part of what I do, informally, is a little bit of support for the officers. Which isn't in my job description, but it happens. I think the department should have more for them.

Interviewer: Are there any tools or technology that help you in this work?

P05: We use the department's records system, so I can see prior contacts at an address, which helps a lot for safety and for context. And we've got a shared case management platform with the county where I can see if someone's already connected to a provider. Before we had that, I'd spend an hour on the phone trying to find out who someone's case manager was. So, small things, but they save time.

I'd love a way for people to reach us directly, not through 911. Like a text line, or an app, where a family member could say, my son is starting to decompensate, can someone come by. Right now, if it's not an emergency, there's really no door for them to knock on.

Interviewer: That's a good point about non-emergency situations. Could you say more?

P05: Yeah. So, I think the biggest gap in the whole system is the non-crisis space. Somebody's getting worse, but they're not at the point of danger. They can't get into outpatient for weeks. They're not going to go to the ER. And so the family waits, and waits, and then it's a crisis, and then it's police. If there were something in between, a walk-in clinic, a mobile team that does non-crisis visits, I think we'd prevent a lot of the crisis calls we go on. We're basically a fire department for mental health, and nobody's doing fire prevention.

Interviewer: Anything else you'd like to add?

P05: Just that I think co-response works. I've seen it work. But two clinicians for a city this size is not a program, it's a pilot. If it's going to make a difference, it needs to be bigger, available more hours, and it needs the services behind it to refer people to. Otherwise we're just a nicer way of getting to the same dead end.

Interviewer: Thank you. This was really valuable.

P05: Thank you for asking.
"""

P08 = """\
Interviewer: Okay, we should be recording now. Can you tell me a bit about your role and the unit?

Respondent: Yes. So I'm a psychiatric nurse by background, and I'm the clinical program manager at the crisis stabilization unit that serves our region. It's, um, it's a rural region, we take people from five counties. We're a twelve-bed unit. I've been there since it opened, which is about seven years ago, and I did inpatient nursing for a long time before that.

Interviewer: Twelve beds for five counties. How often are you full?

Respondent: Most of the time. [laughs] I'd say on any given night we're at ten to twelve. And when we're full, we're full, there's no overflow. The next nearest unit is in the city, which is three hours from us, so it's not like we can just send people down the road.

Interviewer: Where do most of your admissions come from?

Respondent: Law enforcement is the biggest, probably half. Then the emergency departments in the region, then families, some self-referrals. The sheriff's deputies are our main partners. They're the ones bringing people in at all hours.

Interviewer: Can you describe what happens when a deputy calls to bring someone in?

Respondent: So they call our intake line, which is answered by a nurse or a mental health technician twenty-four hours. And we go through the screening. Is the person medically stable. Are they intoxicated, and how much. Any withdrawal risk. Any injuries. Are they currently aggressive or have they been. What's the risk picture, suicidal, homicidal. And we'll usually say come on in, or we'll say go to the ER first, or, um, more rarely, we'll say we can't take them.

Interviewer: What leads to "we can't take them"?

Respondent: Honestly, the biggest one for us is staffing, which people don't expect. So at night we have one nurse and two techs for twelve beds. That's it. If someone comes in who's severely agitated, who's been violent, who needs one-on-one observation, that's a third of my night staff on one person. And I have eleven other people who also need care. So if someone's described as actively combative, or they've seriously hurt someone very recently, we'll often say they're too dangerous for our setting, they need a hospital with security.

The second one is intoxication. We're not a medical detox. If someone's blood alcohol is high, or they're on something where withdrawal could be dangerous, they need medical clearance. And the third is medical. If they've got an injury, or they're diabetic and their sugar's all over the place, we don't have a physician on site overnight.

Interviewer: What happens to the people you can't admit?

Respondent: [pause] I know that some of them go to jail. I know that. The deputies are honest with us about it. The hospitals out here are small, some of them have one or two ER beds, and they don't want to hold a psychiatric patient for days. So if there's any kind of charge, the deputy will sometimes book them. And then the jail calls us the next day, or they call the mobile crisis team, and someone goes and does an assessment in a jail cell. It's, um, it's the opposite of what the unit was built for.

We've been trying to change that. We applied for funding to add a, kind of a high-acuity room, with more staff at night, so we could take some of the people we're turning away now. Whether we get it, I don't know.

Interviewer: Have your admission criteria changed over time?

Respondent: They have. When we opened, we were pretty strict. Any recent violence, any intoxication, we'd say no. And the deputies were really frustrated. We had a meeting with the sheriffs from all five counties, which was, um, a lively meeting. [laughs] And they told us, you know, you're a crisis unit, and you're turning away people in crisis. And they had a point. So we loosened some things. Now we look at the circumstances. Was the violence part of the psychiatric episode? Is the person calm now? If someone had a couple of beers, we'll take them if they can talk to us.

But there's still a line. And the line moves depending on who's on shift and how full we are, which I know isn't ideal. Consistency is something we're working on.

Interviewer: Let's talk about what happens after someone leaves the unit.

Respondent: Yes, this is the part I'm most excited about, actually. So about two years ago we started a follow-up program. Anyone discharged from the unit gets offered home visits from a peer specialist or one of our case managers. The first visit is within three days. They go to the house. They check on medications, they help get appointments set up, they'll help with transportation, they'll just sit and talk.

And, um, we've been tracking it. The people who get the home visits come back to the unit less, and, we looked at this with the sheriff's offices, they have fewer contacts with law enforcement afterward. I don't want to overstate it, it's a small program and the numbers are small, but the difference is noticeable. And the deputies have noticed. I've had deputies tell me, I haven't seen so-and-so in months. Well, they didn't say the name, but you know. [laughs]

Interviewer: Why do you think it works?

Respondent: Because out here, the discharge plan is often, um, a piece of paper and an appointment two months away in a town an hour from their house. And they don't have a car. And the bus doesn't exist. So the plan fails before it starts. The home visits fill that gap. And the peer piece matters a lot. Having someone who's been through it, who says I've been where you are, that's powerful in a way that I, as a nurse, just can't replicate.

Interviewer: What are the limits of the program?

Respondent: Distance, mostly. We have three staff doing visits across five counties. Someone on the far edge, that's a three-hour round trip for one visit. So those folks get phone calls instead, and it's just not the same. And the funding is temporary. We're always, you know, chasing the next grant.

Interviewer: You mentioned transportation a couple of times. How does transportation affect your work with law enforcement?

Respondent: It's huge. So deputies do almost all of our transports in. A deputy from the far county, that's two, three hours each way. For a county that might have two deputies on at night. So I know when a deputy calls me, they've already made a big decision, because they're leaving their county uncovered. And I know that if we say go to the ER first, that's adding hours. We try to take that into account. Some of our nurses will say yes to someone a bit more intoxicated than we'd like, because we know what it costs the deputy to go back and forth.

There's been talk of a regional secure transport service, like a contracted van with trained staff, so deputies wouldn't have to do it. I think that would be a huge help. It's been talked about for years.

Interviewer: What's your sense of how the deputies feel about civilian responders, like mobile crisis teams?

Respondent: I think they're, um, overwhelmingly in favor. Every deputy I talk to says, we need more of you, we need you at night. I don't think I've met one who doesn't want the help. Maybe one or two who are worried about, you know, safety, sending a counselor out to a farmhouse at night alone. Which is a fair concern. But the general feeling is, please, take some of this off our plate.

Interviewer: What about technology? Does the unit use anything that helps?

Respondent: Telepsychiatry has been a lifesaver. We don't have a psychiatrist in the region, so our psychiatrist sees patients by video from the city. That works pretty well. We also started doing video screenings with some of the sheriff's offices, where the deputy can put the person on a tablet and our nurse can do part of the screening before they make the drive. That's saved some wasted trips, where they drive two hours and then we can't take the person. Connectivity is a problem in parts of the region, so it doesn't always work.

Interviewer: And how about access to resources in the region more generally?

Respondent: [sighs] It's pretty thin, honestly. There's one outpatient mental health agency for the five counties, with clinics in two towns. Wait times for psychiatry are long. There's no detox within two hours. There's no residential substance use treatment in the region. Housing is, um, people think of homelessness as a city problem, but we have people living in cars, in campers, in, you know, sheds, houses with no heat. It's just less visible.

And then for people who aren't in crisis, but are getting worse, there's basically nothing. The outpatient clinic can't see them for weeks. We can't take them unless they're in crisis. So the family waits until it's a crisis. And then it's the deputy.

Interviewer: How about your staff? How does this work affect them?

Respondent: Um. It's hard work. Night shift especially. We've had staff assaulted, not often, but it happens, and that affects everyone's sense of safety. We've had turnover. It's hard to recruit nurses to a rural area, and harder to recruit them to a psychiatric crisis unit. And we're dealing with a lot of grief. When someone you've cared for dies by suicide, or overdoses, it hits the whole team. We do debriefs. We have an employee assistance program. It's not enough, honestly.

And I'd say the same about the deputies. I've seen deputies come into our unit after a really hard call, and you can see it on them. They're carrying a lot, and I don't think there's much support for them out here either.

Interviewer: Is there anything else you'd like to share?

Respondent: Just that the unit works. When someone gets here, we can help them. The problems are getting here, and what happens after they leave. If you fixed transport and follow-up, you'd fix most of it. And we need to stop sending people in crisis to jail because we don't have the staff to take them. That's the thing that keeps me up at night.

Interviewer: Thank you so much. This has been really helpful.

Respondent: Thank you.
"""


def turns(text: str) -> list[tuple[str, list[str]]]:
    """Group blank-line separated paragraphs into (speaker, paragraphs) turns."""
    out: list[tuple[str, list[str]]] = []
    for para in text.strip().split("\n\n"):
        m = LABEL.match(para)
        if m:
            out.append((m.group(1), [m.group(2)]))
        else:
            out[-1][1].append(para)
    return out


def _blank_properties(doc) -> None:
    props = doc.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = "Fictional sample interview"
    props.comments = "Fictional interview written for demonstration and tests."


def paragraphs_docx(text: str, path: Path) -> None:
    from docx import Document

    doc = Document()
    _blank_properties(doc)
    for speaker, paras in turns(text):
        doc.add_paragraph(f"{speaker}: {paras[0]}")
        for para in paras[1:]:
            doc.add_paragraph(para)
    doc.save(path)


def table_docx(text: str, path: Path) -> None:
    from docx import Document

    doc = Document()
    _blank_properties(doc)
    rows = turns(text)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for speaker, paras in rows:
        left, right = table.add_row().cells
        left.text = speaker
        right.text = paras[0]
        for para in paras[1:]:
            right.add_paragraph(para)
    doc.save(path)


if __name__ == "__main__":
    paragraphs_docx(P05, HERE / "P05.docx")
    table_docx(P08, HERE / "P08.docx")
